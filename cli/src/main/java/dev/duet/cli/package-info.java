/**
 * The {@code duet} command and its runnable jar ({@code cli/target/duet.jar}). Top of the module
 * stack: may use engine and datasets (and, later, server); nothing imports it.
 */
package dev.duet.cli;
