package com.example.subscriptions.app;

import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Temporal worker: runs the subscription workflows and their {@code send_email} activity. */
final class WorkerRole {

    private static final Logger log = LoggerFactory.getLogger(WorkerRole.class);

    private final WorkerFactory factory;
    private final String taskQueue;

    /** Starts the worker; it stops when the service does, after the consumers. */
    static void start(Wiring wiring, EmailSender sender) {
        WorkerRole worker = new WorkerRole(
                wiring.temporal.client(), wiring.settings.temporal().taskQueue(), sender);
        worker.start();
        wiring.onStop(() -> worker.stop(wiring.settings.shutdownTimeout()));
    }

    private WorkerRole(WorkflowClient client, String taskQueue, EmailSender sender) {
        this.taskQueue = taskQueue;
        this.factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender));
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
