/**
 * Spring Boot auto-configuration of the Tollgate client from {@code tollgate.client.*}: the client bean,
 * an Actuator health contributor, Micrometer meters for decisions, and a Spring AI advisor that
 * reserves before every model call and commits what the model reported.
 */
package dev.tollgate.spring;
