package org.fedoraproject.releng.workflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the edges at the edges: each outside technology is used by its own package only. */
class ArchitectureTest {

    static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.fedoraproject.releng.workflow");
    }

    @Test
    void onlyTheWebPackageKnowsJavalin() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..web..", "gg.jte.generated..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "gg.jte..")
                .check(main);
    }

    @Test
    void onlyTheBusEdgesKnowZeroMqAndAmqp() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..messaging.fedmsg..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.zeromq..", "zmq..")
                .check(main);
        noClasses()
                .that()
                .resideOutsideOfPackages("..messaging.amqp..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.rabbitmq..")
                .check(main);
    }

    @Test
    void definitionsAndPermissionsStayFreeOfSqlAndHttp() {
        noClasses()
                .that()
                .resideInAnyPackage("..catalog..", "..access..", "..config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "org.jdbi..", "io.javalin..", "java.net.http..")
                .check(main);
    }

    @Test
    void nothingButTheEngineWiresTheWebLayer() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..web..", "gg.jte.generated..")
                // the root package is the engine's assembly (Engine and its assemblers)
                .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.fedoraproject.releng.workflow")))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..web..")
                .check(main);
    }

    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        // the root package (Engine) wires everything and is not a slice
        slices().matching("org.fedoraproject.releng.workflow.(*)..")
                .should()
                .beFreeOfCycles()
                .check(main);
    }
}
