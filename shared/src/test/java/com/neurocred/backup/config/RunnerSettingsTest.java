package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocred.backup.config.RunnerSettings.RunnerMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {

    @Test
    void load_should_runEverythingInTheFunctionWithSixHoursElsewhere_when_nothingIsSet() {
        RunnerSettings runner = BackupConfig.load(BackupConfigTest.minimal()).runner();

        assertThat(runner.mode()).isEqualTo(RunnerMode.LAMBDA);
        assertThat(runner.fitPercent()).isEqualTo(60);
        assertThat(runner.maxRuntimeSeconds()).isEqualTo(21_600);
        assertThat(runner.task()).isEmpty();
        assertThat(runner.canHandOff()).isFalse();
    }

    @Test
    void load_should_readTheTaskAndItsNetwork_when_autoHasEverything() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("BACKUP_RUNNER", "Auto");
        env.put("BACKUP_RUNNER_FIT_PERCENT", "45");
        env.put("BACKUP_MAX_RUNTIME_SECONDS", "0");
        env.put("FARGATE_CLUSTER", "neurocred-production");
        env.put("FARGATE_TASK_DEFINITION", "neurocred-backup-production");
        env.put("FARGATE_SUBNETS", "subnet-a, subnet-b,");
        env.put("FARGATE_SECURITY_GROUPS", "sg-1");

        RunnerSettings runner = BackupConfig.load(env).runner();

        assertThat(runner.mode()).isEqualTo(RunnerMode.AUTO);
        assertThat(runner.fitPercent()).isEqualTo(45);
        assertThat(runner.maxRuntimeSeconds()).isZero();
        assertThat(runner.canHandOff()).isTrue();
        assertThat(runner.task()).contains(new RunnerSettings.FargateTask("neurocred-production",
                "neurocred-backup-production", "neurocred-backup", List.of("subnet-a", "subnet-b"), List.of("sg-1"), false));
    }

    @Test
    void load_should_nameEveryMissingTaskSetting_when_autoOrFargateCannotStartTheTask() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("BACKUP_RUNNER", "fargate");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARGATE_CLUSTER is not set: BACKUP_RUNNER=fargate starts the Fargate task")
                .hasMessageContaining("FARGATE_TASK_DEFINITION is not set")
                .hasMessageContaining("FARGATE_SUBNETS is not set");
    }

    @Test
    void load_should_nameTheBadValue_when_modeOrShareOrRuntimeIsOutOfRange() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("BACKUP_RUNNER", "ecs");
        env.put("BACKUP_RUNNER_FIT_PERCENT", "0");
        env.put("BACKUP_MAX_RUNTIME_SECONDS", "-1");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BACKUP_RUNNER='ecs' is invalid: expected lambda, fargate or auto")
                .hasMessageContaining("BACKUP_RUNNER_FIT_PERCENT='0' is invalid")
                .hasMessageContaining("BACKUP_MAX_RUNTIME_SECONDS='-1' is invalid");
    }

    @Test
    void load_should_dropEmptyEntriesOfTheSubnetAndGroupLists_andReadTheContainerAndPublicIp() {
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("BACKUP_RUNNER", "fargate");
        env.put("FARGATE_CLUSTER", "c");
        env.put("FARGATE_TASK_DEFINITION", "t");
        env.put("FARGATE_SUBNETS", "subnet-a, ,subnet-b");
        env.put("FARGATE_SECURITY_GROUPS", ",sg-1,,sg-2");
        env.put("FARGATE_CONTAINER", "backup");
        env.put("FARGATE_ASSIGN_PUBLIC_IP", "true");

        RunnerSettings runner = BackupConfig.load(env).runner();

        assertThat(runner.mode()).isEqualTo(RunnerMode.FARGATE);
        assertThat(runner.canHandOff()).isTrue();
        assertThat(runner.task()).contains(new RunnerSettings.FargateTask("c", "t", "backup", List.of("subnet-a", "subnet-b"),
                List.of("sg-1", "sg-2"), true));
    }

    @Test
    void load_should_askForTheRestOfTheTask_when_lambdaModeNamesOnlyPartOfIt() {
        // In lambda mode a task can still be asked for by a request, so a cluster without a task definition is a
        // half-made setting: named, not ignored. (The wording of the hint, "or set BACKUP_RUNNER=lambda", does not fit
        // this mode: only the variables are asserted here.)
        Map<String, String> env = BackupConfigTest.minimal();
        env.put("FARGATE_CLUSTER", "c");

        assertThatThrownBy(() -> BackupConfig.load(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).hasSize(2).satisfiesExactly(
                        p -> assertThat(p).startsWith("FARGATE_TASK_DEFINITION is not set: "),
                        p -> assertThat(p).startsWith("FARGATE_SUBNETS is not set: ")));
    }

    @Test
    void lambdaOnly_should_beWhatNoRunnerVariableGives() {
        assertThat(RunnerSettings.lambdaOnly()).isEqualTo(BackupConfig.load(BackupConfigTest.minimal()).runner());
    }

    @Test
    void runnerMode_should_parseItsIdInAnyCase_andRefuseAnythingElseWithIllegalArgument() {
        assertThat(RunnerMode.parse("FarGate")).isEqualTo(RunnerMode.FARGATE);
        assertThatThrownBy(() -> RunnerMode.parse("ecs")).isInstanceOf(IllegalArgumentException.class).hasMessage("ecs");
    }
}
