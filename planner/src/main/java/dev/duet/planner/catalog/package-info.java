/**
 * Duet's {@link dev.duet.core.catalog.Catalog} as Calcite schemas and tables: one immutable
 * catalog version per planned statement, column types and nullability, primary keys as unique
 * keys, column defaults for INSERT.
 */
package dev.duet.planner.catalog;
