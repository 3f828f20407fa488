package com.example.subscriptions.app;

import com.example.subscriptions.config.Settings;

import com.example.subscriptions.core.EmailMask;
import com.example.subscriptions.workflow.LoggingEmailSender;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: the roles its settings ask for, wired together, and their orderly shutdown. */
public final class Service implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Service.class);

    private final Settings settings;
    private final TemporalConnection temporal;
    private final List<Runnable> stopInOrder = new ArrayList<>();

    private Service(Settings settings) {
        this.settings = settings;
        this.temporal = TemporalConnection.open(settings.temporal());
    }

    public static Service start(Settings settings) {
        Service service = new Service(settings);
        try {
            service.startRoles();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void startRoles() {
        log.info("Starting roles {} against Temporal {} (namespace {})", settings.roles(),
                settings.temporal().address(), settings.temporal().namespace());
        if (settings.roles().contains(Settings.Role.WORKER)) {
            WorkerRole worker = new WorkerRole(temporal.client(), settings.temporal().taskQueue(),
                    new LoggingEmailSender(EmailMask.of(settings.showEmails())));
            worker.start();
            stopInOrder.add(() -> worker.stop(settings.shutdownTimeout()));
        }
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        List<Runnable> stops = new ArrayList<>(stopInOrder);
        stopInOrder.clear();
        Collections.reverse(stops);
        stops.forEach(Runnable::run);
        temporal.close();
        log.info("Stopped");
    }
}
