package com.example.subscriptions.app;

import com.example.subscriptions.config.MailSettings;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.workflow.DeliveryReports;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Temporal worker: runs the subscription workflows and their {@code send_email} activity. */
final class WorkerRole {

    private static final Logger log = LoggerFactory.getLogger(WorkerRole.class);

    private final WorkerFactory factory;
    private final String taskQueue;

    /**
     * Starts the worker; it stops when the service does, after the consumers.
     *
     * @param reportToKafka whether what the SMTP server says of addresses and emails goes to Kafka (the SMTP sender of
     *     the settings); the worker then needs the Kafka settings too
     */
    static void start(Wiring wiring, EmailSender sender, boolean reportToKafka) {
        Optional<KafkaPublisher> publisher = reportToKafka
                ? Optional.of(wiring.onStop(new KafkaPublisher(
                        wiring.kafkaClients.producer("subscriptions-worker", WorkerReports.TIMEOUT))))
                : Optional.empty();
        WorkerReports reports = new WorkerReports(
                publisher, wiring.settings.topics(), wiring.metrics, wiring.emailMask, Clock.systemUTC());
        WorkerRole worker = new WorkerRole(
                wiring.temporal.client(),
                wiring.settings.temporal().taskQueue(),
                workerOptions(wiring.settings.mail()),
                sender,
                reports);
        worker.start();
        // Registered after the publisher, so stopped before it: running activities may still report.
        wiring.onStop(() -> worker.stop(wiring.settings.shutdownTimeout()));
    }

    /**
     * The send rate. {@code send_email} is the only activity on the task queue, so Temporal's activity rate limits
     * are email rate limits: the task-queue one is enforced by the server across every worker polling the queue (the
     * value of the last worker to poll wins, so give every worker the same), the per-worker one by this process.
     */
    static WorkerOptions workerOptions(MailSettings mail) {
        WorkerOptions.Builder options = WorkerOptions.newBuilder();
        mail.maxPerSecond().ifPresent(options::setMaxTaskQueueActivitiesPerSecond);
        mail.maxPerSecondPerWorker().ifPresent(options::setMaxWorkerActivitiesPerSecond);
        if (mail.maxPerSecond().isPresent() || mail.maxPerSecondPerWorker().isPresent()) {
            // An activity handed back eagerly with the workflow task that scheduled it skips the task queue's
            // matching and the worker's poller, and with them both limits (measured: three emails within 41 ms at
            // two a second).
            options.setDisableEagerExecution(true);
        }
        return options.build();
    }

    private WorkerRole(
            WorkflowClient client,
            String taskQueue,
            WorkerOptions options,
            EmailSender sender,
            DeliveryReports reports) {
        this.taskQueue = taskQueue;
        this.factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(taskQueue, options);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender, reports));
    }

    private void start() {
        factory.start();
        log.info("Worker polling task queue '{}'", taskQueue);
    }

    /** Lets running activities finish (bounded), then stops polling. */
    private void stop(Duration timeout) {
        factory.shutdown();
        factory.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            factory.shutdownNow();
        }
        log.info("Worker stopped");
    }
}
