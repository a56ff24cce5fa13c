/**
 * Physical plan nodes: immutable, describable, each creating its running operator for one
 * execution.
 */
package dev.duet.planner.exec.plan;
