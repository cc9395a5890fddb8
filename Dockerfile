# syntax=docker/dockerfile:1
# The neurocred-backup command line as a container: the Fargate task of template.yaml (BackupRunner), or any
# container runtime. The same image runs backup, base backup, verification with its restore test, and retention:
#   docker build --build-arg PG_MAJOR=16 -t neurocred-backup .
#   docker run --rm neurocred-backup --version
# No setting and no secret is baked in: they come from the task's environment (template.yaml) at run time.

# The server's major version; the client tools must be of it or newer (the jobs refuse an older pg_dump).
ARG PG_MAJOR=16

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so the dependencies stay a cached layer while the sources change.
COPY pom.xml ./
COPY shared/pom.xml shared/
COPY functions/backup/pom.xml functions/backup/
COPY functions/verify/pom.xml functions/verify/
COPY functions/retention/pom.xml functions/retention/
COPY cli/pom.xml cli/
RUN mvn -B -q dependency:go-offline -DexcludeReactor=true || true
COPY shared shared
COPY functions functions
COPY cli cli
COPY scripts scripts
COPY docs docs
COPY README.md ./
RUN mvn -B -q -DskipTests package -pl cli -am \
    && mkdir /release && tar -xzf cli/target/neurocred-backup-*.tar.gz -C /release

# AWS's RDS CA bundle, checked as the Lambda layer's build checks it, at the path DbSslRootCert names by default.
FROM debian:bookworm-slim AS certs
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl make >/dev/null \
    && rm -rf /var/lib/apt/lists/*
COPY layers/postgres-client/Makefile /layer/Makefile
COPY layers/postgres-client/certs /layer/certs
RUN make -C /layer ca-certificates ARTIFACTS_DIR=/opt

FROM eclipse-temurin:17-jre-jammy
ARG PG_MAJOR
# The PostgreSQL client tools of PG_MAJOR from the PostgreSQL project's own repository (the distribution's are older).
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg >/dev/null \
    && curl -fsS https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg \
    && echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] https://apt.postgresql.org/pub/repos/apt jammy-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends "postgresql-client-${PG_MAJOR}" >/dev/null \
    && apt-get purge -y -qq gnupg >/dev/null && apt-get autoremove -y -qq >/dev/null \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /release/neurocred-backup /opt/neurocred-backup
COPY --from=certs /opt/certs /opt/certs
# Class-data archives of the commands the task runs, made now (as root, into lib/): at run time lib/ is not the
# user's to write, so the launcher then execs Java, which is PID 1 and hears ECS's SIGTERM itself.
RUN for command in backup verify retention; do /opt/neurocred-backup/scripts/neurocred-backup "$command" --help >/dev/null; done \
    && useradd --system --uid 10001 --home-dir /var/lib/neurocred --create-home --shell /usr/sbin/nologin neurocred \
    && mkdir -p /backups && chown neurocred /backups
ENV PATH="/opt/neurocred-backup/scripts:${PATH}" \
    NEUROCRED_JAVA_OPTS="-XX:MaxRAMPercentage=75"
USER 10001
WORKDIR /var/lib/neurocred
ENTRYPOINT ["/opt/neurocred-backup/scripts/neurocred-backup"]
CMD ["--help"]
