package io.qualgranter.cli;

/** One-line messages for the terminal: no stack traces, ever. */
final class Messages {

    private Messages() {
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
