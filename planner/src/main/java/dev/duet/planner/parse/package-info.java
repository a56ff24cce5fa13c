/**
 * SQL text to Calcite syntax trees: splitting scripts into statements, the parser configuration,
 * syntax errors in PostgreSQL's words with positions in the submitted text, and the tree nodes
 * Duet's grammar adds. The grammar itself is generated at build time into
 * {@code dev.duet.planner.parse.grammar} from Calcite's template and {@code src/main/codegen}
 * (see the planner README).
 */
package dev.duet.planner.parse;
