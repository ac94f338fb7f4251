package dev.tollgate.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Resolves what the clock decides even when nobody touches an account: reservations past their TTL
 * expire, periods that ended roll over. Every node runs it; row locks (SKIP LOCKED for reservations,
 * the subscription and budget row locks for periods) make each change happen exactly once.
 */
@Component
class LedgerSweeper {

    private static final Logger log = LoggerFactory.getLogger(LedgerSweeper.class);

    private final Ledger ledger;
    private final LedgerSettings settings;

    LedgerSweeper(Ledger ledger, LedgerSettings settings) {
        this.ledger = ledger;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${tollgate.ledger.sweep-interval:PT5S}", initialDelayString = "PT5S")
    void sweep() {
        try {
            int expired = ledger.expireDue(null, settings.sweepBatchSize());
            int rolled = ledger.rollOverDue(settings.sweepBatchSize());
            if (expired > 0 || rolled > 0) {
                log.info("Sweeper expired {} reservations and rolled over {} periods", expired, rolled);
            }
        } catch (RuntimeException e) {
            // The next run retries; a failure here must not stop the schedule.
            log.warn("Sweeper run failed: {}", e.toString());
        }
    }
}
