# syntax=docker/dockerfile:1
# Builds Ferry from source and runs one of its services:
#   docker build -t ferry .                                   # the standalone server (all services, one port)
#   docker build --build-arg SERVICE=messaging -t ferry/messaging-service .
# SERVICE: standalone (default), admin, messaging, dispatcher or gateway. docs/operations.md, "Containers".

FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE=standalone
WORKDIR /src
COPY . .
# The local repository lives in a BuildKit cache mount rather than a POM-only layer: dependency:go-offline
# cannot resolve the sibling modules (standalone depends on the services' jars, all on shared-contracts'
# test-jar) before they are built, so a POM-only layer would fail or miss artifacts.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl '!bench' package
RUN case "$SERVICE" in \
      standalone) jar=standalone/target/ferry-standalone.jar ;; \
      admin) jar=admin-service/target/admin-service-fat.jar ;; \
      messaging) jar=messaging-service/target/messaging-service-fat.jar ;; \
      dispatcher) jar=listener-dispatcher/target/listener-dispatcher-fat.jar ;; \
      gateway) jar=ws-gateway/target/ws-gateway-fat.jar ;; \
      *) echo "SERVICE must be standalone, admin, messaging, dispatcher or gateway, not '$SERVICE'" >&2; exit 1 ;; \
    esac \
    && cp "$jar" /service.jar

FROM eclipse-temurin:17-jre
# A numeric user, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN mkdir -p /var/lib/ferry/data && chown -R 10001:10001 /var/lib/ferry
COPY --from=build /service.jar /opt/ferry/service.jar
WORKDIR /var/lib/ferry
ENV FERRY_STORAGE_DATA_DIR=/var/lib/ferry/data
VOLUME /var/lib/ferry/data
USER 10001:10001
EXPOSE 8080
# No HEALTHCHECK: the image has no curl or wget, and orchestrators probe /health/ready and /health/live
# themselves (k8s/*.yaml, compose.yaml).
# An OutOfMemoryError ends the JVM (and the orchestrator restarts the container) instead of leaving a process
# whose event loops have died but which still holds its port.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75", "-jar", "/opt/ferry/service.jar"]
