# syntax=docker/dockerfile:1
#
# The subscription service as a container image:
#   docker build -t kafka-temporal-subscriptions .
#   docker run --rm -p 8080:8080 -e KAFKA_BOOTSTRAP_SERVERS=... -e TEMPORAL_ADDRESS=... kafka-temporal-subscriptions
# Arguments after the image name go to the service: [--config FILE] [roles...], e.g. `... worker`.
# Settings come from /app/config/application.properties, overridden by environment variables
# (TEMPORAL_ADDRESS, KAFKA_BOOTSTRAP_SERVERS, any KAFKA_X_Y for the Kafka client setting x.y, MAIL_HOST, ...).
# The email templates are /app/config/mail; mount your own folder there to change them without a rebuild.

# ---- build: target/subscriptions.jar (maven-shade-plugin, see pom.xml) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The cache mount keeps downloaded dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2/repository \
    mvn -B -q -DskipTests package

# ---- runtime ----
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 subscriptions \
 && useradd --system --uid 10001 --gid subscriptions --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin subscriptions

# The service reads config/application.properties relative to its working directory.
WORKDIR /app
COPY config/ /app/config/
COPY --from=build /build/target/subscriptions.jar /app/subscriptions.jar

# Owned by root, read-only to the service.
USER 10001:10001

# /health/live, /health/ready and /metrics (setting server.port), for probes and Prometheus only.
EXPOSE 8080
# The one-click unsubscribe links (setting unsubscribe.port): the one port meant for the internet.
EXPOSE 8081

# Exec form: java is PID 1 and gets SIGTERM directly, so the service drains in-flight work (shutdown.timeout).
# The JVM options of config/jvm.options (heap and collector, see there); JAVA_TOOL_OPTIONS can add to them.
ENTRYPOINT ["java","@/app/config/jvm.options","-jar","/app/subscriptions.jar"]
