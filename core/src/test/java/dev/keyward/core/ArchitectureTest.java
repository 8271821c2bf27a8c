package dev.keyward.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN "core: no I/O, no framework" and STYLE 3.1/3.7: what the domain may not depend on. */
class ArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.keyward.core");
  }

  /**
   * java.net.IDN is the one exception: the JDK's IDNA conversion of host names to punycode, pure
   * computation with no socket or resolver behind it.
   */
  private static final ArchRule NO_IO = noClasses()
      .that().resideInAPackage("dev.keyward.core..")
      .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "javax.sql..", "java.net..", "java.nio.file..")
          .and(not(type(java.net.IDN.class))))
      .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
      .because("core is the domain as plain Java: persistence and HTTP live in store and server");

  private static final ArchRule NO_OUTER_MODULES = noClasses()
      .that().resideInAPackage("dev.keyward.core..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.keyward.store..", "dev.keyward.server..", "dev.keyward.client..")
      .because("dependencies point inwards: core <- store <- server");

  @Test
  void coreWhenImportedThenHoldsTheMainClassesOnly() {
    assertThat(core.containPackage("dev.keyward.core.key")).isTrue();
    assertThat(core.contain("dev.keyward.core.auth.Authenticator")).isTrue();
    assertThat(core.stream().map(c -> c.getPackageName())).noneMatch(p -> p.startsWith("dev.keyward.core.testing"));
  }

  @Test
  void coreClassesWhenCheckedThenNoSqlNetOrFileDependencies() {
    NO_IO.check(core);
  }

  @Test
  void coreClassesWhenCheckedThenNoDependencyOnStoreServerOrClient() {
    NO_OUTER_MODULES.check(core);
  }

  @Test
  void rulesWhenClassReachesForFilesSocketsOrJdbcThenViolated() {
    // The rules are not vacuous: each forbidden kind of dependency is caught.
    for (Class<?> offender : new Class<?>[] {ReadsFile.class, OpensStream.class, UsesPath.class, CallsNet.class, UsesJdbc.class, ResolvesNames.class}) {
      EvaluationResult result = NO_IO.evaluate(new ClassFileImporter().importClasses(offender));
      assertThat(result.hasViolation()).as(offender.getSimpleName()).isTrue();
    }
    assertThat(NO_IO.evaluate(new ClassFileImporter().importClasses(Harmless.class)).hasViolation()).isFalse();
    assertThat(NO_IO.evaluate(new ClassFileImporter().importClasses(ConvertsIdn.class)).hasViolation()).isFalse();
  }

  static final class ReadsFile {
    boolean exists(String name) {
      return new java.io.File(name).exists();
    }
  }

  static final class OpensStream {
    java.io.InputStream open(String name) throws java.io.IOException {
      return new java.io.FileInputStream(name);
    }
  }

  static final class UsesPath {
    java.nio.file.Path path(String name) {
      return java.nio.file.Path.of(name);
    }
  }

  static final class CallsNet {
    java.net.URI uri(String s) {
      return java.net.URI.create(s);
    }
  }

  static final class ResolvesNames {
    java.net.InetAddress resolve(String host) throws java.net.UnknownHostException {
      return java.net.InetAddress.getByName(host);
    }
  }

  static final class ConvertsIdn {
    String ascii(String host) {
      return java.net.IDN.toASCII(host);
    }
  }

  static final class UsesJdbc {
    java.sql.@org.jspecify.annotations.Nullable Connection connection;
  }

  static final class Harmless {
    String upper(String s) {
      return s.toUpperCase(java.util.Locale.ROOT);
    }
  }
}
