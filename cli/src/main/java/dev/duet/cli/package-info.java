/**
 * The {@code duet} command and its runnable jar ({@code cli/target/duet.jar}): the SQL shell over
 * JDBC ({@code duet shell}), the embedded-API demo and the dataset loader. Top of the module stack:
 * may use engine, planner and datasets (and, later, server); nothing imports it.
 */
package dev.duet.cli;
