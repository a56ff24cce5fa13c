package dev.duet.core.exec;

/**
 * Closing several resources where one failing must not leave the others open: operators'
 * inputs, evaluators' children, the results a query keeps.
 */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes every one of {@code resources} in order, even when some fail; then throws the first
     * failure with the later ones suppressed in it (a checked exception wrapped in an
     * {@link IllegalStateException}).
     */
    public static void closeAll(Iterable<? extends AutoCloseable> resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (failure == null) {
                    failure = r;
                } else {
                    failure.addSuppressed(r);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
