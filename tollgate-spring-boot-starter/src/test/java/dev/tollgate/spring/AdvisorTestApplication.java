package dev.tollgate.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A host application with Spring AI's OpenAI starter and this starter, and nothing else. */
@SpringBootApplication
class AdvisorTestApplication {

    /** The account a call is charged to when it names none, as a signed-in user would be. */
    static volatile String signedInUser;

    @Bean
    TollgateAccountResolver signedInUserResolver() {
        return request -> signedInUser;
    }
}
