/**
 * Routing of table scans between the row store and the column store: the session's {@link
 * dev.duet.planner.exec.route.RouteMode} ({@code SET duet.route}), the rules of {@link
 * dev.duet.planner.exec.route.ScanRouting}, and the {@link dev.duet.planner.exec.route.ColumnScans}
 * the engine supplies over the column store.
 */
package dev.duet.planner.exec.route;
