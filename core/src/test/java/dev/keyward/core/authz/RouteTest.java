package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.KeywardException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTest {

  @Test
  void requiringWhenBuiltUpThenEveryRequirementKept() {
    Route r = Route.requiring(HttpMethod.POST, "/v1/algo/{owner}/{name}/publish", "algo:publish")
        .withResource("algo://{owner}/{name}").withUser().withData(DataAccess.READ_WRITE).withAlgorithmManagement().withProductionOnly();
    assertThat(r.permission()).contains(new Permission("algo", "publish"));
    assertThat(r.resource().map(ResourceTemplate::text)).contains("algo://{owner}/{name}");
    assertThat(r.requiresUser()).isTrue();
    assertThat(r.dataAccess()).contains(DataAccess.READ_WRITE);
    assertThat(r.requiresAlgorithmManagement()).isTrue();
    assertThat(r.productionOnly()).isTrue();
    assertThat(r.isPublic()).isFalse();
    assertThat(r).hasToString("POST /v1/algo/{owner}/{name}/publish");
  }

  @Test
  void constructorWhenResourceUsesUnknownVariableThenRefusedNamingIt() {
    Route r = Route.requiring(HttpMethod.GET, "/v1/algo/{owner}", "algo:read");
    assertThatThrownBy(() -> r.withResource("algo://{owner}/{name}"))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.field()).isEqualTo("resource");
          assertThat(e.publicMessage()).contains("'{name}'").contains("does not define").contains("defines: owner");
        });
  }

  @Test
  void constructorWhenResourceUsesRestVariableByBareNameThenAccepted() {
    Route r = Route.requiring(HttpMethod.GET, "/v1/data/{path*}", "data:read").withResource("data://{path}");
    assertThat(r.resource()).isPresent();
  }

  @Test
  void constructorWhenPublicRouteRequiresSomethingThenRefused() {
    Route open = Route.open(HttpMethod.GET, "/status/{x}");
    assertThat(open.isPublic()).isTrue();
    assertThatThrownBy(open::withUser).isInstanceOf(KeywardException.class);
    assertThatThrownBy(open::withProductionOnly).isInstanceOf(KeywardException.class);
    assertThatThrownBy(open::withAlgorithmManagement).isInstanceOf(KeywardException.class);
    assertThatThrownBy(() -> open.withData(DataAccess.READ)).isInstanceOf(KeywardException.class);
    assertThatThrownBy(() -> open.withResource("s://{x}"))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.field()).isEqualTo("public"));
  }

  @Test
  void constructorWhenWildcardPermissionOrDataNoneThenRefused() {
    PathTemplate p = PathTemplate.parse("/x");
    assertThatThrownBy(() -> new Route(HttpMethod.GET, p, Optional.of(new Permission("x", "*")), Optional.empty(), false, Optional.empty(), false, false))
        .isInstanceOf(KeywardException.class);
    assertThatThrownBy(() -> Route.requiring(HttpMethod.GET, "/x", "x:*")).isInstanceOf(KeywardException.class);
    assertThatThrownBy(() -> Route.requiring(HttpMethod.GET, "/x", "x:read").withData(DataAccess.NONE))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.field()).isEqualTo("data"));
  }

  @Test
  void methodWhenRequestNameThenHeadIsGetAndOthersUnrouted() {
    assertThat(HttpMethod.forRequest("HEAD")).contains(HttpMethod.GET);
    assertThat(HttpMethod.forRequest("GET")).contains(HttpMethod.GET);
    assertThat(HttpMethod.forRequest("OPTIONS")).isEmpty();
    assertThat(HttpMethod.forRequest("get")).isEmpty();
    assertThat(HttpMethod.forRequest("TRACE")).isEmpty();
    assertThat(HttpMethod.fromWire("HEAD")).isEmpty();
    assertThat(HttpMethod.fromWire("PATCH")).contains(HttpMethod.PATCH);
  }
}
