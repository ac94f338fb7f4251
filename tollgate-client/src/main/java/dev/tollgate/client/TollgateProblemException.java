package dev.tollgate.client;

/** Tollgate answered with a problem (RFC 9457); {@link #code()} is the stable part to branch on. */
public class TollgateProblemException extends TollgateException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public TollgateProblemException(Problem problem) {
        super(message(problem));
        this.problem = problem;
    }

    private static String message(Problem problem) {
        return problem.detail() != null ? problem.detail()
                : problem.code() + " (HTTP " + problem.status() + ")";
    }

    public Problem problem() {
        return problem;
    }

    public String code() {
        return problem.code();
    }

    public int status() {
        return problem.status();
    }

    public String detail() {
        return problem.detail();
    }

    public Long remaining() {
        return problem.remaining();
    }

    public Long needed() {
        return problem.needed();
    }
}
