package io.qualgranter.job;

/** Another live process holds the lease this command needs (exit 4). */
public class RunInProgressException extends RuntimeException {

    private final LeaseHolder holder;

    public RunInProgressException(LeaseHolder holder) {
        super("another run is in progress: " + holder.describe());
        this.holder = holder;
    }

    public LeaseHolder holder() {
        return holder;
    }
}
