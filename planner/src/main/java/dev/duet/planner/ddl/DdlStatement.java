package dev.duet.planner.ddl;

import dev.duet.planner.PlannedStatement;

/**
 * A CREATE or DROP statement, resolved to names and Duet types but not executed: the engine
 * applies it to the catalog in a transaction. Existence checks ({@code IF [NOT] EXISTS}) are the
 * engine's, against the catalog it commits to.
 */
public interface DdlStatement extends PlannedStatement {
    @Override
    default Kind kind() {
        return Kind.DDL;
    }
}
