package com.example.subscriptions.faults;

import static com.example.subscriptions.faults.Command.SUBSCRIBE;
import static com.example.subscriptions.faults.Command.UNSUBSCRIBE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/** The command streams of the fault tests: emails {@code prefix-N@example.com}, every command with an id of its own. */
public final class CommandStreams {

    private static final List<List<String>> SEQUENCES =
            List.of(List.of(SUBSCRIBE), List.of(SUBSCRIBE, UNSUBSCRIBE), List.of(SUBSCRIBE, UNSUBSCRIBE, SUBSCRIBE));

    private CommandStreams() {}

    /**
     * {@code commands} commands over {@code emails} emails: every email starts with a subscribe; the others (60%
     * unsubscribes, 40% subscribes) go to random emails. A quarter of the emails send theirs in one burst (consecutive
     * records, as a user who changes their mind at once); the rest are interleaved at random, each email's own order
     * kept. Deterministic for a seed.
     */
    public static List<Command> random(String prefix, int emails, int commands, long seed) {
        if (commands < emails) {
            throw new IllegalArgumentException("at least one command per email");
        }
        Random random = new Random(seed);
        List<List<String>> types = new ArrayList<>();
        for (int i = 0; i < emails; i++) {
            types.add(new ArrayList<>(List.of(SUBSCRIBE)));
        }
        for (int i = emails; i < commands; i++) {
            types.get(random.nextInt(emails)).add(random.nextInt(10) < 6 ? UNSUBSCRIBE : SUBSCRIBE);
        }
        return merge(commandsOf(prefix, types), email -> email % 4 == 0, random.nextLong());
    }

    /** One email per sequence of types, merged in a random order that keeps each email's sequence in order. */
    public static List<Command> interleave(String prefix, List<List<String>> sequences, long seed) {
        return merge(commandsOf(prefix, sequences), email -> false, seed);
    }

    /**
     * Without end, email after email, back to back: subscribe; subscribe, unsubscribe; subscribe, unsubscribe,
     * subscribe; and again. A steady stream in which each email ends subscribed or not.
     */
    public static Iterator<Command> sequences(String prefix) {
        return new Iterator<>() {
            private int email;
            private Iterator<Command> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Command next() {
                if (!current.hasNext()) {
                    List<String> types = SEQUENCES.get(email % SEQUENCES.size());
                    current = commandsOf(prefix + "-" + email++, List.of(types))
                            .get(0)
                            .iterator();
                }
                return current.next();
            }
        };
    }

    /** {@code each} subscribes for each of {@code emails} emails, back to back: a backlog of a few keys. */
    public static List<Command> repeatedSubscribes(String prefix, int emails, int each) {
        List<List<String>> sequences = new ArrayList<>();
        for (int e = 0; e < emails; e++) {
            sequences.add(Collections.nCopies(each, SUBSCRIBE));
        }
        return commandsOf(prefix, sequences).stream().flatMap(List::stream).toList();
    }

    private static List<List<Command>> commandsOf(String prefix, List<List<String>> sequences) {
        List<List<Command>> perEmail = new ArrayList<>();
        int id = 0;
        for (int e = 0; e < sequences.size(); e++) {
            String email = prefix + "-" + e + "@example.com";
            List<Command> mine = new ArrayList<>();
            for (String type : sequences.get(e)) {
                mine.add(new Command(prefix + "-c" + id++, type, email));
            }
            perEmail.add(mine);
        }
        return perEmail;
    }

    /** A random merge keeping each email's order; the emails {@code burst} picks keep their commands together. */
    private static List<Command> merge(List<List<Command>> perEmail, IntPredicate burst, long seed) {
        List<Integer> slots = new ArrayList<>();
        for (int e = 0; e < perEmail.size(); e++) {
            for (int i = 0; i < (burst.test(e) ? 1 : perEmail.get(e).size()); i++) {
                slots.add(e);
            }
        }
        Collections.shuffle(slots, new Random(seed));
        int[] next = new int[perEmail.size()];
        List<Command> merged = new ArrayList<>();
        for (int e : slots) {
            List<Command> mine = perEmail.get(e);
            int count = burst.test(e) ? mine.size() : 1;
            merged.addAll(mine.subList(next[e], next[e] + count));
            next[e] += count;
        }
        return merged;
    }
}
