/**
 * Validation against Duet's rules: the operator table (Calcite's standard and PostgreSQL
 * functions plus Duet's own), PostgreSQL's coercion and operator meanings, and the translation
 * of Calcite's errors into SQLSTATEs.
 */
package dev.duet.planner.validate;
