package dev.tollgate.account;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

public enum AccountProblem implements ProblemType {
    ACCOUNT_EXISTS("account_exists", "Account already exists", HttpStatus.CONFLICT),
    BATCH_TOO_LARGE("batch_too_large", "Too many accounts in one batch", HttpStatus.BAD_REQUEST);

    private final Definition definition;

    AccountProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
