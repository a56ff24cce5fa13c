package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;

final class DuetExceptionAssert {
    private DuetExceptionAssert() {
    }

    static void messageContains(DuetException e, String text) {
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
