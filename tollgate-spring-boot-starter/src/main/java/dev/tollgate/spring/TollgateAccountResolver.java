package dev.tollgate.spring;

import org.springframework.ai.chat.client.ChatClientRequest;

/**
 * Names the Tollgate account a model call is charged to, when the call does not carry the
 * {@link TollgateAdvisor#ACCOUNT_ID} advisor parameter. Declare one as a bean to charge, for example,
 * the signed-in user: {@code request -> SecurityContextHolder.getContext().getAuthentication().getName()}.
 */
@FunctionalInterface
public interface TollgateAccountResolver {

    /** @return the account id, or {@code null} when this call has none (the advisor then refuses it) */
    String accountId(ChatClientRequest request);
}
