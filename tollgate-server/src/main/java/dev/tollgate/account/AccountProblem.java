package dev.tollgate.account;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

public enum AccountProblem implements ProblemType {
    ACCOUNT_EXISTS("account_exists", "Account already exists", HttpStatus.CONFLICT),
    BATCH_TOO_LARGE("batch_too_large", "Too many accounts in one batch", HttpStatus.BAD_REQUEST);

    private final String code;
    private final String title;
    private final HttpStatus status;

    AccountProblem(String code, String title, HttpStatus status) {
        this.code = code;
        this.title = title;
        this.status = status;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
