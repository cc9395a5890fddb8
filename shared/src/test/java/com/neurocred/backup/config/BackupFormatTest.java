package com.neurocred.backup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupFormatTest {

    @Test
    void parse_should_acceptPlainAndCustomInAnyCaseAndPadding() {
        assertThat(BackupFormat.parse("plain")).isEqualTo(BackupFormat.PLAIN);
        assertThat(BackupFormat.parse(" Custom ")).isEqualTo(BackupFormat.CUSTOM);
        assertThat(BackupFormat.parse("PLAIN")).isEqualTo(BackupFormat.PLAIN);
    }

    @Test
    void parse_should_refuseTar_becauseItIsNotAFullBackupFormat() {
        // tar is pg_basebackup's (PITR base backups); BACKUP_FORMAT chooses between pg_dump's two.
        assertThatThrownBy(() -> BackupFormat.parse("tar")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected plain or custom, got 'tar'");
        assertThatThrownBy(() -> BackupFormat.parse("")).hasMessage("expected plain or custom, got ''");
    }

    @Test
    void ofDataFile_should_tellTheFormatByTheNamesEnding() {
        assertThat(BackupFormat.ofDataFile("neurocred_production_20250101T000000Z.dump")).isEqualTo(BackupFormat.CUSTOM);
        assertThat(BackupFormat.ofDataFile("base_20250101T000000Z.tar.gz")).isEqualTo(BackupFormat.TAR);
        assertThat(BackupFormat.ofDataFile("neurocred_production_20250101T000000Z.sql.gz")).isEqualTo(BackupFormat.PLAIN);
        assertThat(BackupFormat.ofDataFile("neurocred_production_20250101T000000Z.sql.zst")).isEqualTo(BackupFormat.PLAIN);
    }

    @Test
    void idAndExtension_should_beWhatKeysAndFileNamesUse() {
        assertThat(BackupFormat.PLAIN.id()).isEqualTo("plain");
        assertThat(BackupFormat.CUSTOM.id()).isEqualTo("custom");
        assertThat(BackupFormat.TAR.id()).isEqualTo("tar");
        assertThat(BackupFormat.PLAIN.extension()).isEqualTo(".sql.gz");
        assertThat(BackupFormat.CUSTOM.extension()).isEqualTo(".dump");
        assertThat(BackupFormat.TAR.extension()).isEqualTo(".tar.gz");
    }

    @Test
    void deploymentEnvironment_should_parseTheNamesInAnyCase_andListTheAcceptedOnes_otherwise() {
        assertThat(DeploymentEnvironment.parse(" Production ")).isEqualTo(DeploymentEnvironment.PRODUCTION);
        assertThat(DeploymentEnvironment.parse("STAGING")).isEqualTo(DeploymentEnvironment.STAGING);
        assertThat(DeploymentEnvironment.parse("development")).isEqualTo(DeploymentEnvironment.DEVELOPMENT);
        assertThat(DeploymentEnvironment.DEVELOPMENT).hasToString("development");
        assertThatThrownBy(() -> DeploymentEnvironment.parse("prod")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown environment 'prod': expected one of production|staging|development");
        assertThatThrownBy(() -> DeploymentEnvironment.parse(null))
                .hasMessage("unknown environment 'null': expected one of production|staging|development");
    }
}
