package dev.strongroom.secrets.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Shows {@code POST /v1/secrets/values:batchGet} in the OpenAPI document under its real path. The resource
 * matches it with a regular expression (the colon may arrive percent-encoded), which the generator would
 * otherwise list as a path parameter, {@code /v1/secrets/{batchGet}}, that clients would fill in.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class BatchGetPath implements OASFilter {

    static final String GENERATED = "/v1/secrets/{batchGet}";
    static final String REAL = "/v1/secrets/values:batchGet";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Paths paths = openAPI.getPaths();
        PathItem item = paths == null ? null : paths.getPathItem(GENERATED);
        if (item == null) {
            return;
        }
        paths.removePathItem(GENERATED);
        item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream().filter(p -> "batchGet".equals(p.getName())).toList()
                        .forEach(operation::removeParameter);
            }
        });
        if (item.getParameters() != null) {
            item.getParameters().stream().filter(p -> "batchGet".equals(p.getName())).toList().forEach(item::removeParameter);
        }
        paths.addPathItem(REAL, item);
    }
}
