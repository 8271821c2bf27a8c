package dev.keyward.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client stands alone: users add it to their project without the server or its domain. */
class ArchitectureTest {
  private final JavaClasses client = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.keyward.client");

  @Test
  void clientWhenCompiledThenUsesNoOtherKeywardModule() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("dev.keyward.core..", "dev.keyward.server..", "dev.keyward.store..", "dev.keyward.filter..")
        .check(client);
  }

  @Test
  void clientWhenCompiledThenUsesOnlyTheJdkJacksonAndJSpecify() {
    noClasses().should().dependOnClassesThat().resideOutsideOfPackages(
            "java..", "javax.net.ssl..", "com.fasterxml.jackson..", "org.jspecify..", "dev.keyward.client..")
        .check(client);
  }
}
