package dev.posflow.api;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import dev.posflow.view.Problem;

/**
 * Makes /q/openapi describe how to call posflow, so that a generated client can: the API tokens as an http bearer
 * scheme; OIDC as an openIdConnect scheme with its discovery URL, only when OIDC is on (known at start, hence a
 * runtime filter); each operation's roles (from its @RolesAllowed) as its security requirement; and the
 * problem+json answers each can give. Quarkus's own automatic scheme is off (application.properties): it would
 * describe OIDC without a discovery URL whether or not OIDC is configured.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiSecurity implements OASFilter {

    static final String TOKEN_SCHEME = "apiToken";
    static final String OIDC_SCHEME = "oidc";
    static final String PROBLEM_SCHEMA = "Problem";

    /** Every resource of the public API; OpenApiDocumentTest fails on an operation none of them declares. */
    private static final List<Class<?>> RESOURCES = List.of(LatestResource.class, HistoryResource.class,
            PostPositionsResource.class, PositionErasureResource.class, SourceResource.class,
            SourceErasureResource.class, LiveResource.class, ExportResource.class, HeatmapResource.class,
            ReplayResource.class);

    /** Answers beyond 400/401/403 that an operation gives, by "METHOD path" (docs/api.md, "Errors and bounded answers"). */
    // 503 on the reads: a statement past posflow.reads.statement-timeout; 429 on exports and heatmaps: their caps
    private static final Map<String, List<String>> MORE_PROBLEMS = Map.ofEntries(
            Map.entry("GET /positions/latest", List.of("404", "503")),
            Map.entry("GET /positions", List.of("503")),
            Map.entry("GET /sources", List.of("503")),
            Map.entry("GET /positions/export", List.of("429", "503")),
            Map.entry("GET /positions/heatmap", List.of("429", "503")),
            Map.entry("GET /positions/{id}", List.of("404")),
            Map.entry("DELETE /positions/{id}", List.of("404")),
            Map.entry("DELETE /positions", List.of("404")),
            Map.entry("DELETE /sources/{source}", List.of("404")),
            Map.entry("POST /positions", List.of("413", "415", "429", "503")),
            Map.entry("GET /positions/stream", List.of("429")),
            Map.entry("POST /admin/replay", List.of("409", "415")));

    private static final Map<String, String> TITLES = Map.of("400", "Bad request: a parameter or the body is refused",
            "401", "No valid bearer token (WWW-Authenticate: Bearer)",
            "403", "The token's role does not allow this, or a writer's source globs or quota do not",
            "404", "No such position or source", "409", "Not this instance's partition, or the offset is gone",
            "413", "Body over 1 MB, or more samples than allowed in one request",
            "415", "The body is not application/json", "429", "Too many requests or streams (Retry-After)",
            "503", "Not available yet, Kafka too slow, or a read past its time limit (Retry-After)");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Config config = ConfigProvider.getConfig();
        boolean roleNamesAllowed = openApi.getOpenapi() != null && openApi.getOpenapi().startsWith("3.1");
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents().setSecuritySchemes(new LinkedHashMap<>());
        openApi.getComponents().addSecurityScheme(TOKEN_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("posflow API token (`Authorization: Bearer <token>`), minted with `java -jar"
                        + " quarkus-run.jar token --role reader|writer|admin`; roles: reader, writer, admin"));
        Optional<String> oidc = oidcDiscovery(config);
        oidc.ifPresent(url -> openApi.getComponents().addSecurityScheme(OIDC_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OPENIDCONNECT).openIdConnectUrl(url)
                .description("OIDC access token for posflow's audience, roles in the claim "
                        + config.getOptionalValue("quarkus.oidc.roles.role-claim-path", String.class)
                                .orElse("posflow_roles"))));
        openApi.getComponents().addSchema(PROBLEM_SCHEMA, problemSchema());
        openApi.setSecurity(null); // each operation says its own

        Map<String, List<String>> roles = rolesByOperation();
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            String key = method.name() + " " + path;
            List<String> allowed = roles.get(key);
            if (allowed == null || allowed.isEmpty()) {
                return; // open (@PermitAll), or not posflow's: none today, and OpenApiDocumentTest says so
            }
            List<String> scopes = roleNamesAllowed ? allowed : List.of();
            SecurityRequirement token = OASFactory.createSecurityRequirement().addScheme(TOKEN_SCHEME, scopes);
            List<SecurityRequirement> security = new ArrayList<>(List.of(token));
            oidc.ifPresent(url -> security.add(OASFactory.createSecurityRequirement().addScheme(OIDC_SCHEME, scopes)));
            operation.setSecurity(security);
            operation.addExtension("x-posflow-roles", allowed);
            String note = "Roles: " + String.join(", ", allowed) + ".";
            operation.setDescription(operation.getDescription() == null ? note : operation.getDescription() + "\n\n"
                    + note);
            if (operation.getResponses() == null) {
                operation.setResponses(OASFactory.createAPIResponses());
            }
            List<String> problems = new ArrayList<>(List.of("401", "403"));
            if (hasInput(operation)) {
                problems.add("400");
            }
            problems.addAll(MORE_PROBLEMS.getOrDefault(key, List.of()));
            problems.forEach(status -> addProblem(operation.getResponses(), status));
        }));
    }

    private static Optional<String> oidcDiscovery(Config config) {
        boolean on = config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(false);
        Optional<String> server = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                .filter(url -> !url.isBlank());
        if (!on || server.isEmpty()) {
            return Optional.empty();
        }
        String base = server.get().endsWith("/") ? server.get().substring(0, server.get().length() - 1) : server.get();
        return Optional.of(config.getOptionalValue("quarkus.oidc.discovery-path", String.class)
                .map(path -> path.startsWith("http") ? path : base + (path.startsWith("/") ? "" : "/") + path)
                .orElse(base + "/.well-known/openid-configuration"));
    }

    private static boolean hasInput(Operation operation) {
        return operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
    }

    private static void addProblem(APIResponses responses, String status) {
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(TITLES.get(status))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/" + PROBLEM_SCHEMA)))));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .required(List.of("title", "status"));
    }

    /** "METHOD /path" to the roles its @RolesAllowed names (an empty list for @PermitAll). */
    static Map<String, List<String>> rolesByOperation() {
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (Class<?> resource : RESOURCES) {
            String base = pathOf(resource.getAnnotation(Path.class));
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET"
                        : method.isAnnotationPresent(POST.class) ? "POST"
                        : method.isAnnotationPresent(DELETE.class) ? "DELETE"
                        : method.isAnnotationPresent(PUT.class) ? "PUT" : null;
                if (verb == null) {
                    continue;
                }
                String path = base + pathOf(method.getAnnotation(Path.class));
                RolesAllowed allowed = method.isAnnotationPresent(RolesAllowed.class)
                        ? method.getAnnotation(RolesAllowed.class) : resource.getAnnotation(RolesAllowed.class);
                if (allowed != null) {
                    roles.put(verb + " " + (path.isEmpty() ? "/" : path), List.of(allowed.value()));
                } else if (method.isAnnotationPresent(PermitAll.class)) {
                    roles.put(verb + " " + path, List.of());
                }
            }
        }
        return roles;
    }

    /** A JAX-RS path as OpenAPI writes it: leading slash, no trailing one, no regular expression in a template. */
    private static String pathOf(Path path) {
        if (path == null) {
            return "";
        }
        String value = path.value().replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        value = value.startsWith("/") ? value : "/" + value;
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
