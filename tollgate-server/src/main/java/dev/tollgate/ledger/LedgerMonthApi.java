package dev.tollgate.ledger;

import java.time.YearMonth;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin: record the closed days' ledger totals now instead of at the job's next run (before archiving). */
@RestController
class LedgerMonthApi {

    private final Ledger ledger;

    LedgerMonthApi(Ledger ledger) {
        this.ledger = ledger;
    }

    record MonthsResponse(List<YearMonth> recorded, List<YearMonth> months) {}

    @PostMapping("/v1/admin/ledger-months")
    MonthsResponse record() {
        var recorded = ledger.recordClosedDays();
        return new MonthsResponse(recorded, ledger.recordedMonths());
    }
}
