package io.qualgranter.cli;

/** One-line messages for the terminal: no stack traces, ever. */
final class Messages {

    private Messages() {
    }

    /** Whether the failure is an embedded H2 file locked by another process (opened without AUTO_SERVER). */
    static boolean repositoryInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Database may be already in use")
                    || message.contains("The file is locked"))) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return io.qualgranter.job.EnvironmentFault.plain(root);
    }
}
