package dev.tollgate.report;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The reconciliation report (admin). Usage totals are served with the usage records, by the ledger's API. */
@RestController
class ReportApi {

    private static final int RECONCILIATION_LIMIT = 1000;

    private final Reports reports;
    private final Clock clock;

    ReportApi(Reports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    record ReconciliationResponse(List<Discrepancy> data, @Nullable String nextCursor, Instant checkedAt) {}

    @GetMapping("/v1/admin/reconciliation")
    ReconciliationResponse reconciliation(@RequestParam(name = "account_id", required = false)
            @Nullable String accountId) {
        return new ReconciliationResponse(reports.reconcile(accountId, RECONCILIATION_LIMIT), null, clock.instant());
    }
}
