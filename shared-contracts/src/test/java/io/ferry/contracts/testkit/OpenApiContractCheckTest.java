package io.ferry.contracts.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiContractCheckTest {

  private static final String DOCUMENT = """
      openapi: 3.0.3
      info: {title: t, version: "1"}
      servers: [{url: /}]
      tags: [{name: things, description: Things.}]
      security: []
      components:
        schemas:
          Thing:
            type: object
            required: [id]
            properties: {id: {type: string}, note: {type: string, nullable: true}}
            example: {id: a, note: null}
          Problem: {type: object, required: [status], properties: {status: {type: integer}}}
          Unused: {type: object, properties: {id: {type: string}}, example: {id: 1}}
      paths:
        /things/{id}:
          servers: [{url: /api/v2}, {url: /}]
          get:
            operationId: getThing
            summary: A thing.
            tags: [things]
            parameters: [{name: id, in: path, required: true, schema: {type: string}}]
            responses:
              "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
              "404": {description: no, content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        /things/{id}/parts:
          get:
            summary: Parts.
            tags: [elsewhere]
            responses: {"200": {description: ok}}
      """;

  private final OpenApiContract contract = OpenApiContract.parse(DOCUMENT);

  @Test
  void listsEachOperationUnderEveryServerPrefix() {
    assertEquals(List.of("GET /api/v2/things/{id}", "GET /things/{id}", "GET /things/{id}/parts"), contract.routes());
    assertEquals(2, contract.operationCount());
  }

  @Test
  void acceptsAnAnswerAsDocumentedAtEitherPrefix() {
    assertEquals(List.of(), contract.check("GET", "/api/v2/things/a?x=1", 200, "application/json",
        "{\"id\":\"a\",\"note\":null}"));
    assertEquals(List.of(), contract.check("GET", "/things/a", 404, "application/problem+json", "{\"status\":404}"));
  }

  @Test
  void refusesAWrongBodyAnUndocumentedStatusOrContentTypeAndAnUnknownRoute() {
    assertTrue(contract.check("GET", "/things/a", 200, "application/json", "{\"note\":1}").size() >= 2);
    assertTrue(contract.check("GET", "/things/a", 500, "application/json", "{}").get(0)
        .contains("status not documented"));
    assertTrue(contract.check("GET", "/things/a", 404, "application/json", "{\"status\":404}").get(0)
        .contains("content type"));
    assertTrue(contract.check("DELETE", "/things/a", 200, "application/json", "{}").get(0)
        .contains("no documented operation"));
  }

  @Test
  void reportsAMissingOperationIdAnUndeclaredPathParameterOrTagAnUnusedSchemaAndAWrongExample() {
    assertEquals(List.of("GET /things/{id}/parts: no operationId",
        "GET /things/{id}/parts: path parameters [id] but declared []"), contract.operationProblems());
    List<String> lint = contract.lint();
    assertEquals(3, lint.size(), lint::toString);
    assertEquals("GET /things/{id}/parts: tag elsewhere is not declared", lint.get(0));
    assertEquals("schema Unused is never used", lint.get(1));
    assertTrue(lint.get(2).startsWith("example at #/components/schemas/Unused does not match"), lint.get(2));
  }
}
