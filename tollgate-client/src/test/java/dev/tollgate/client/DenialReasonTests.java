package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each denial Tollgate answers becomes a DenialException carrying its reason, in the order Tollgate checks them. */
class DenialReasonTests extends ClientTest {

    @ParameterizedTest
    @EnumSource(value = DenialReason.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void each_denial_maps_to_its_reason(DenialReason reason) {
        String account = accountDeniedFor(reason);
        long input = reason == DenialReason.INSUFFICIENT_TOKENS ? 500 : 10;
        long output = reason == DenialReason.INSUFFICIENT_TOKENS ? 1000 : 10;
        assertThatThrownBy(() -> client.reserve(request(account, input, output).conversationId("next").build()))
                .isInstanceOfSatisfying(DenialException.class, denied -> {
                    assertThat(denied.reason()).isEqualTo(reason);
                    assertThat(denied.code()).isEqualTo(reason.code());
                });
    }

    /** An account in the state that makes Tollgate answer {@code reason} and nothing checked before it. */
    private String accountDeniedFor(DenialReason reason) {
        switch (reason) {
            case ACCOUNT_NOT_FOUND:
                return RealTollgate.newAccountId("nobody");
            case TRIAL_EXPIRED: {
                String id = newAccount("trial");
                tollgate.sql("UPDATE subscription SET trial_ends_at = now() - INTERVAL '1 day' WHERE account_id = ?",
                        id);
                return id;
            }
            case SUBSCRIPTION_INACTIVE: {
                String id = newAccount("pro");
                tollgate.sql("UPDATE subscription SET status = 'canceled' WHERE account_id = ?", id);
                return id;
            }
            case CONVERSATION_LIMIT_REACHED: {
                String id = newAccount("free");
                for (int i = 0; i < 5; i++) {
                    var conversation = request(id, 10, 10).conversationId("c" + i).build();
                    try (Reservation reservation = client.reserve(conversation)) {
                        reservation.commit(Usage.of(10, 10));
                    }
                }
                return id;
            }
            case LIMIT_EXCEEDED: {
                String id = newAccount("trial");
                use(id, 6000);
                return id;
            }
            case INSUFFICIENT_TOKENS: {
                String id = newAccount("trial");
                use(id, 5500);
                return id;
            }
            case INSUFFICIENT_CREDITS: {
                String id = newAccount("credits");
                for (int i = 0; i < 3; i++) {
                    use(id, 10);
                }
                return id;
            }
            case INSUFFICIENT_BALANCE:
                return newAccount("payg");
            default:
                throw new IllegalArgumentException("no setup for " + reason);
        }
    }
}
