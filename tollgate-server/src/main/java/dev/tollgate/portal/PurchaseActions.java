package dev.tollgate.portal;

import dev.tollgate.billing.Checkout;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.UnknownFields;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The billing page's Upgrade, Top up and Manage billing buttons: each is a form (CSRF-protected) for
 * the signed-in account only, answered with a redirect to the Stripe page that {@link Checkout} opened.
 * Stripe brings the user back to the billing page, and its webhook applies what was bought.
 */
@Controller
class PurchaseActions {

    private final PortalSessions sessions;
    private final Checkout checkout;
    private final PortalProperties properties;

    PurchaseActions(PortalSessions sessions, Checkout checkout, PortalProperties properties) {
        this.sessions = sessions;
        this.checkout = checkout;
        this.properties = properties;
    }

    @PostMapping("/billing/upgrade")
    ModelAndView upgrade(@RequestParam(defaultValue = "") String plan, HttpServletRequest request, HttpServletResponse response) {
        return redirect(request, response, Set.of("plan"), account -> checkout.upgrade(account, plan, billingPage()));
    }

    @PostMapping("/billing/top-up")
    ModelAndView topUp(@RequestParam(name = "amount_usd", defaultValue = "") String amountUsd,
            HttpServletRequest request, HttpServletResponse response) {
        // An amount that is not a whole number is refused by Checkout like any amount it does not offer.
        int amount = amountUsd.matches("[0-9]{1,6}") ? Integer.parseInt(amountUsd) : -1;
        return redirect(request, response, Set.of("amount_usd"),
                account -> checkout.topUp(account, amount, billingPage()));
    }

    @PostMapping("/billing/manage")
    ModelAndView manage(HttpServletRequest request, HttpServletResponse response) {
        return redirect(request, response, Set.of(), account -> checkout.billingPortal(account, billingPage()));
    }

    private ModelAndView redirect(HttpServletRequest request, HttpServletResponse response, Set<String> fields,
            Function<String, URI> stripePage) {
        var session = sessions.resolve(BillingPage.cookieValue(request));
        if (session.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return page("portal/signed-out").addObject("signedOut", false);
        }
        try {
            UnknownFields.refuseForm(request, fields);
            var stripe = new RedirectView(stripePage.apply(session.get().accountId()).toString());
            stripe.setStatusCode(HttpStatus.SEE_OTHER);
            stripe.setExposeModelAttributes(false);
            return new ModelAndView(stripe);
        } catch (ProblemException e) {
            return refused(e, response);
        }
    }

    /** A refused form as a page: the problem's title and message, and the way back to the billing page. */
    ModelAndView refused(ProblemException problem, HttpServletResponse response) {
        response.setStatus(problem.getStatusCode().value());
        return page("portal/purchase-failed").addObject("title", problem.problem().getTitle())
                .addObject("message", problem.problem().getDetail());
    }

    private ModelAndView page(String template) {
        return new ModelAndView(template).addObject("appName", properties.appName())
                .addObject("logoUrl", properties.logoUrl());
    }

    private URI billingPage() {
        return URI.create(properties.publicBase() + "/billing");
    }
}
