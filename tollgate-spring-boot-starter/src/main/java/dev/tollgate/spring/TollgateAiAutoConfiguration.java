package dev.tollgate.spring;

import dev.tollgate.client.TollgateClient;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The {@link TollgateAdvisor} on every {@link ChatClient} the application builds from Spring AI's
 * {@code ChatClient.Builder}, through a {@link ChatClientBuilderCustomizer}.
 */
@AutoConfiguration(after = TollgateAutoConfiguration.class)
@ConditionalOnClass(ChatClient.class)
@ConditionalOnBean(TollgateClient.class)
@ConditionalOnProperty(prefix = "tollgate.client.advisor", name = "enabled", matchIfMissing = true)
public class TollgateAiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TollgateAdvisor tollgateAdvisor(TollgateClient client, TollgateClientProperties properties,
            ObjectProvider<TollgateAccountResolver> resolver) {
        var advisor = properties.advisor();
        // Without a resolver, a call must name its account with the advisor parameter.
        TollgateAccountResolver accounts = resolver.getIfAvailable(() -> request -> null);
        return new TollgateAdvisor(client, accounts, advisor.provider(), advisor.defaultModel(), advisor.order());
    }

    @Bean
    ChatClientBuilderCustomizer tollgateChatClientBuilderCustomizer(TollgateAdvisor advisor) {
        return builder -> builder.defaultAdvisors(advisor);
    }
}
