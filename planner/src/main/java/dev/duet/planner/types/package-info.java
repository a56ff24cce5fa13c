/** Duet's types in Calcite ({@link dev.duet.planner.types.TypeMapping}) and the type rules ({@link dev.duet.planner.types.DuetTypeSystem}). */
package dev.duet.planner.types;
