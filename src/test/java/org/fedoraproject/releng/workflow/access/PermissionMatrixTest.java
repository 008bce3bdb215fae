package org.fedoraproject.releng.workflow.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedoraproject.releng.workflow.access.Permission.ADMIN;
import static org.fedoraproject.releng.workflow.access.Permission.APPROVE;
import static org.fedoraproject.releng.workflow.access.Permission.CANCEL;
import static org.fedoraproject.releng.workflow.access.Permission.READ;
import static org.fedoraproject.releng.workflow.access.Permission.RUN;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionMatrixTest {

    private static final PermissionMatrix MATRIX =
            new PermissionMatrix(List.of(MatrixEntry.of("anonymous", READ), MatrixEntry.of("group:releng", ADMIN)));

    private static final WorkflowAccess QA_TESTS =
            WorkflowAccess.publicWorkflow("qa-tests", List.of(MatrixEntry.of("group:qa", RUN)));
    private static final WorkflowAccess COMPOSE =
            WorkflowAccess.publicWorkflow("compose-nightly", List.of(MatrixEntry.of("group:releng", RUN, CANCEL)));
    private static final WorkflowAccess SECRET_KEYS =
            WorkflowAccess.restrictedWorkflow("sign-keys", List.of(MatrixEntry.of("group:sigul", READ, RUN)));

    private static Principal user(String name, String... groups) {
        return new Principal(Principal.Kind.USER, name, Set.of(groups));
    }

    @Test
    void qaMemberCanRunAQaWorkflowButNotAReleng() {
        Principal qa = user("adamw", "qa", "packager");

        assertThat(MATRIX.allows(qa, RUN, QA_TESTS)).isTrue();
        assertThat(MATRIX.allows(qa, RUN, COMPOSE)).isFalse();
        assertThatThrownBy(() -> MATRIX.require(qa, RUN, COMPOSE))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("permission `run` on workflow `compose-nightly` is required; you have read");
    }

    @Test
    void adminImpliesEveryPermissionAndSaysSo() {
        Principal releng = user("kevin", "releng");

        assertThat(MATRIX.permissions(releng, QA_TESTS)).containsExactlyInAnyOrder(Permission.values());
        assertThat(MATRIX.grantFor(releng, APPROVE, QA_TESTS))
                .contains(new Grant("qa-tests", APPROVE, "admin via group:releng"));
        assertThat(MATRIX.grantFor(releng, RUN, COMPOSE))
                .as("a direct grant explains better than admin")
                .contains(new Grant("compose-nightly", RUN, "group:releng"));
    }

    @Test
    void groupNamesCompareCaseInsensitively() {
        Principal qa = user("adamw", "QA");
        WorkflowAccess mixedCase = WorkflowAccess.publicWorkflow("qa-tests", List.of(MatrixEntry.of("group:Qa", RUN)));

        assertThat(MATRIX.allows(qa, RUN, mixedCase)).isTrue();
        assertThat(MATRIX.grantFor(qa, RUN, mixedCase)).contains(new Grant("qa-tests", RUN, "group:qa"));
    }

    @Test
    void userNamesCompareExactly() {
        WorkflowAccess forAlice = WorkflowAccess.publicWorkflow("chore", List.of(MatrixEntry.of("user:alice", RUN)));

        assertThat(MATRIX.allows(user("alice"), RUN, forAlice)).isTrue();
        assertThat(MATRIX.allows(user("Alice"), RUN, forAlice)).isFalse();
    }

    @Test
    void anonymousMayReadPublicWorkflowsAndNothingMore() {
        assertThat(MATRIX.canRead(Principal.ANONYMOUS, COMPOSE)).isTrue();
        assertThat(MATRIX.permissions(Principal.ANONYMOUS, COMPOSE)).containsExactly(READ);
        assertThatThrownBy(() -> MATRIX.require(Principal.ANONYMOUS, RUN, COMPOSE))
                .isInstanceOfSatisfying(
                        AccessDeniedException.class,
                        e -> assertThat(e.anonymous()).isTrue());
    }

    @Test
    void whatAnonymousMayDoEveryoneMayDo() {
        assertThat(MATRIX.grantFor(user("adamw", "qa"), READ, COMPOSE))
                .contains(new Grant("compose-nightly", READ, "anonymous"));
    }

    @Test
    void authenticatedEntriesDoNotReachAnonymousUsers() {
        PermissionMatrix matrix = new PermissionMatrix(List.of(MatrixEntry.of("authenticated", APPROVE)));

        assertThat(matrix.allows(user("anyone"), APPROVE, COMPOSE)).isTrue();
        assertThat(matrix.allows(Principal.ANONYMOUS, APPROVE, COMPOSE)).isFalse();
    }

    @Test
    void restrictedWorkflowIsHiddenFromAnonymousAndFromUsersItDoesNotName() {
        assertThat(MATRIX.canRead(Principal.ANONYMOUS, SECRET_KEYS)).isFalse();
        assertThat(MATRIX.canRead(user("adamw", "qa"), SECRET_KEYS)).isFalse();
        assertThat(MATRIX.canRead(user("signer", "sigul"), SECRET_KEYS)).isTrue();
        assertThat(MATRIX.canRead(user("kevin", "releng"), SECRET_KEYS))
                .as("named global entries still apply")
                .isTrue();
        assertThat(MATRIX.canRead(Principal.ANONYMOUS, "sign-keys", Visibility.PUBLIC, SECRET_KEYS.permissions()))
                .isTrue();
    }

    @Test
    void restrictedWorkflowMayOpenItselfToEveryLoggedInUser() {
        WorkflowAccess internal =
                WorkflowAccess.restrictedWorkflow("internal", List.of(MatrixEntry.of("authenticated", READ)));

        assertThat(MATRIX.canRead(user("adamw"), internal)).isTrue();
        assertThat(MATRIX.canRead(Principal.ANONYMOUS, internal)).isFalse();
    }

    @Test
    void whoamiGrantsExplainWhichEntryGrantedEachPermission() {
        Principal qa = user("adamw", "qa");

        assertThat(MATRIX.whoami(qa, List.of(QA_TESTS, COMPOSE, SECRET_KEYS)))
                .containsExactly(new Grant(null, READ, "anonymous"), new Grant("qa-tests", RUN, "group:qa"));
        assertThat(MATRIX.whoami(user("kevin", "releng"), List.of(COMPOSE)))
                .contains(
                        new Grant(null, ADMIN, "group:releng"),
                        new Grant(null, RUN, "admin via group:releng"),
                        new Grant("compose-nightly", RUN, "group:releng"),
                        new Grant("compose-nightly", CANCEL, "group:releng"));
    }

    @Test
    void entriesParseFromConfigurationAndWorkflowYaml() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        String text = """
                - {principal: anonymous, allow: [read]}
                - {principal: "group:releng", allow: [admin]}
                - {group: QA, allow: [run, Cancel]}
                - {user: alice, allow: [approve]}
                """;

        List<MatrixEntry> entries = yaml.readValue(text, new TypeReference<>() {});

        assertThat(entries)
                .containsExactly(
                        MatrixEntry.of("anonymous", READ),
                        MatrixEntry.of("group:releng", ADMIN),
                        MatrixEntry.of("group:qa", RUN, CANCEL),
                        MatrixEntry.of("user:alice", APPROVE));
    }

    @Test
    void grantsSerializeAsWhoamiShowsThem() throws Exception {
        String json = new ObjectMapper().writeValueAsString(new Grant(null, RUN, "group:qa"));

        assertThat(json).isEqualTo("{\"workflow\":null,\"permission\":\"run\",\"grantedBy\":\"group:qa\"}");
    }

    @Test
    void unknownPrincipalsAndPermissionsAreRejectedWithTheAllowedValues() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

        assertThatThrownBy(() -> yaml.readValue("{principal: everybody, allow: [read]}", MatrixEntry.class))
                .hasRootCauseMessage(
                        "unknown principal `everybody`: must be one of anonymous, authenticated, user:<name>, group:<name>");
        assertThatThrownBy(() -> yaml.readValue("{group: qa, allow: [launch]}", MatrixEntry.class))
                .hasRootCauseMessage("unknown permission `launch`: must be one of read, run, cancel, approve, admin");
        assertThatThrownBy(() -> yaml.readValue("{group: qa, user: x, allow: [run]}", MatrixEntry.class))
                .hasRootCauseMessage("a permission entry needs exactly one of `principal`, `group` or `user`");
    }
}
