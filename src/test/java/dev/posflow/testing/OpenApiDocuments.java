package dev.posflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/** An OpenAPI document read by swagger-parser, the parser of swagger-codegen and openapi-generator: valid or failed. */
public final class OpenApiDocuments {

    private OpenApiDocuments() {
    }

    public static OpenAPI valid(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(document, null, options);
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        assertEquals(List.of(), messages, () -> "swagger-parser refuses the document:\n" + document);
        assertNotNull(result.getOpenAPI(), "swagger-parser read nothing");
        return result.getOpenAPI();
    }
}
