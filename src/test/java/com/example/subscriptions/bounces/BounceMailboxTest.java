package com.example.subscriptions.bounces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.config.BouncesSettings;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reader against GreenMail's IMAP server, with Kafka mocked: what it files where, and when it does not. */
class BounceMailboxTest {

    private static final String LOGIN = "bounces";
    private static final String PASSWORD = "mailbox-secret";

    private final List<String> kinds = new ArrayList<>();
    private int failedPolls;
    private final BounceMailbox.Observer observer = new BounceMailbox.Observer() {
        @Override
        public void read(String kind) {
            kinds.add(kind);
        }

        @Override
        public void pollFailed() {
            failedPolls++;
        }
    };
    private GreenMail imap;
    private GreenMailUser mailbox;

    @AfterEach
    void stop() {
        if (imap != null) {
            imap.stop();
        }
    }

    private void startImap(int port) {
        imap = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        imap.start();
        mailbox = imap.setUser("bounces@example.com", LOGIN, PASSWORD);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static BouncesSettings settings(int port, BouncesSettings.Handled handled) {
        return new BouncesSettings(
                Optional.of("127.0.0.1"),
                port,
                BouncesSettings.Tls.OFF,
                Optional.of(LOGIN),
                Optional.of(PASSWORD),
                "INBOX",
                handled,
                "processed",
                "unparsed",
                Duration.ofMinutes(1),
                Duration.ofSeconds(5),
                false);
    }

    private BounceMailbox reader(int port, BouncesSettings.Handled handled, MockProducer<byte[], byte[]> producer) {
        return new BounceMailbox(
                settings(port, handled),
                new ReportReader(Optional.of("example.com"), false),
                new BounceCommands(new KafkaPublisher(producer), "commands", Duration.ofMillis(300)),
                observer,
                UnaryOperator.identity(),
                Clock.systemUTC());
    }

    private static MockProducer<byte[], byte[]> acknowledging() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void drop(String sample) throws Exception {
        mailbox.deliver(new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(ReportReaderTest.sample(sample))));
    }

    private int messagesIn(String name) throws Exception {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", imap.getImap().getPort(), LOGIN, PASSWORD);
            Folder folder = store.getFolder(name);
            return folder.exists() ? folder.getMessageCount() : 0;
        }
    }

    @Test
    void aMailboxThatCannotBeReachedIsCountedAndReadOnceItIsBack() throws Exception {
        int port = freePort();
        MockProducer<byte[], byte[]> producer = acknowledging();
        BounceMailbox reader = reader(port, BouncesSettings.Handled.MOVE, producer);

        reader.poll();
        reader.poll();

        assertFalse(reader.reachable());
        assertEquals(2, failedPolls);
        startImap(port);
        drop("dsn-user-unknown.eml");
        reader.poll();
        assertTrue(reader.reachable());
        assertEquals(List.of("dsn-bounce"), kinds);
        assertEquals(1, producer.history().size());
    }

    @Test
    void aReportKafkaDoesNotAcknowledgeStaysInTheInboxAndIsPublishedAgainWithTheSameId() throws Exception {
        startImap(0);
        drop("arf-abuse.eml");
        MockProducer<byte[], byte[]> silent =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());

        reader(imap.getImap().getPort(), BouncesSettings.Handled.MOVE, silent).poll();

        assertEquals(1, messagesIn("INBOX"));
        assertEquals(0, messagesIn("processed"));
        MockProducer<byte[], byte[]> acknowledging = acknowledging();
        reader(imap.getImap().getPort(), BouncesSettings.Handled.MOVE, acknowledging)
                .poll();
        assertEquals(0, messagesIn("INBOX"));
        assertEquals(1, messagesIn("processed"));
        Map<?, ?> first = Json.MAPPER.readValue(silent.history().get(0).value(), Map.class);
        Map<?, ?> again = Json.MAPPER.readValue(acknowledging.history().get(0).value(), Map.class);
        assertEquals(first, again);
        assertEquals("complaint", again.get("type"));
        assertEquals("arf", again.get("source"));
        assertEquals("heidi@example.org", again.get("email"));
    }

    @Test
    void withDeleteHandledReportsAreDeletedAndWhatIsNoReportIsKept() throws Exception {
        startImap(0);
        drop("dsn-user-unknown.eml");
        drop("dsn-delayed.eml");
        drop("garbage.eml");
        MockProducer<byte[], byte[]> producer = acknowledging();

        reader(imap.getImap().getPort(), BouncesSettings.Handled.DELETE, producer)
                .poll();

        assertEquals(0, messagesIn("INBOX"));
        assertEquals(0, messagesIn("processed"));
        assertEquals(1, messagesIn("unparsed"));
        assertEquals(List.of("dsn-bounce", "ignored", "unparsed"), kinds);
        assertEquals(1, producer.history().size(), "the delayed DSN publishes nothing");
    }
}
