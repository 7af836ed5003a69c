package io.fulcrum.dataplane.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MaglevTest {

    @Test
    void tableSizeIsAPrimeOfAtLeastHundredSlotsPerServer() {
        assertEquals(65_537, Maglev.sizeFor(10));
        assertEquals(65_537, Maglev.sizeFor(655));
        assertEquals(131_071, Maglev.sizeFor(656));
    }

    @Test
    void equalWeightsShareTheTableWithinOnePercent() {
        Maglev<FakeCandidate> maglev = new Maglev<>(SmoothWeightedRoundRobinTest.candidates(10, 10, 10, 10, 10, 10, 10, 10, 10, 10));
        Map<String, Integer> share = share(maglev);
        for (int slots : share.values()) {
            double fraction = slots / (double) maglev.tableSize();
            assertEquals(0.10, fraction, 0.01, share.toString());
        }
    }

    @Test
    void clientsSpreadEvenly() throws UnknownHostException {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10, 10, 10);
        Maglev<FakeCandidate> maglev = new Maglev<>(servers);
        Map<String, Integer> counts = new HashMap<>();
        Random random = new Random(11);
        int clients = 50_000;
        for (int i = 0; i < clients; i++) {
            counts.merge(maglev.pick(randomAddress(random), List.of()).toString(), 1, Integer::sum);
        }
        for (int count : counts.values()) {
            assertEquals(0.2, count / (double) clients, 0.02, counts.toString());
        }
    }

    @Test
    void weightsShapeTheShares() {
        Maglev<FakeCandidate> maglev = new Maglev<>(SmoothWeightedRoundRobinTest.candidates(10, 20, 0, 30));
        Map<String, Integer> share = share(maglev);
        assertEquals(null, share.get("s2"));
        double size = maglev.tableSize();
        assertEquals(1 / 6.0, share.get("s0") / size, 0.01);
        assertEquals(2 / 6.0, share.get("s1") / size, 0.01);
        assertEquals(3 / 6.0, share.get("s3") / size, 0.01);
    }

    @Test
    void twoNodesBuildTheSameTableWhateverTheOrder() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 20, 10, 5, 10, 10);
        List<FakeCandidate> shuffled = new ArrayList<>(servers);
        Collections.shuffle(shuffled, new Random(5));
        Maglev<FakeCandidate> one = new Maglev<>(servers);
        Maglev<FakeCandidate> other = new Maglev<>(shuffled);
        for (int slot = 0; slot < one.tableSize(); slot++) {
            assertEquals(one.ownerOf(slot), other.ownerOf(slot));
        }
    }

    @Test
    void removingOneOfTenServersMovesAboutATenthOfTheTable() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        Maglev<FakeCandidate> before = new Maglev<>(servers);
        Maglev<FakeCandidate> after = new Maglev<>(servers.subList(0, 9));
        String removed = servers.get(9).hashKey();
        int moved = 0;
        int movedBetweenSurvivors = 0;
        for (int slot = 0; slot < before.tableSize(); slot++) {
            if (!before.ownerOf(slot).equals(after.ownerOf(slot))) {
                moved++;
                if (!before.ownerOf(slot).equals(removed)) {
                    movedBetweenSurvivors++;
                }
            }
        }
        double fraction = moved / (double) before.tableSize();
        assertTrue(fraction >= 0.09 && fraction <= 0.13, "moved " + fraction);
        assertTrue(movedBetweenSurvivors / (double) before.tableSize() < 0.03, "survivors moved " + movedBetweenSurvivors);
    }

    @Test
    void aDownServersClientsMoveAndNobodyElses() throws UnknownHostException {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10, 10);
        Maglev<FakeCandidate> maglev = new Maglev<>(servers);
        Random random = new Random(3);
        List<InetAddress> clients = new ArrayList<>();
        Map<InetAddress, String> before = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            InetAddress client = randomAddress(random);
            clients.add(client);
            before.put(client, maglev.pick(client, List.of()).toString());
        }
        servers.get(2).available = false;
        Map<String, Integer> movedTo = new HashMap<>();
        for (InetAddress client : clients) {
            String now = maglev.pick(client, List.of()).toString();
            if (before.get(client).equals("s2")) {
                assertNotEquals("s2", now);
                movedTo.merge(now, 1, Integer::sum);
            } else {
                assertEquals(before.get(client), now, "a client of a healthy server moved");
            }
        }
        assertEquals(3, movedTo.size(), "the failed server's clients spread over the others: " + movedTo);
    }

    @Test
    void sameClientSameServerAndNullWhenNothingIsAvailable() throws UnknownHostException {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10);
        Maglev<FakeCandidate> maglev = new Maglev<>(servers);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        String first = maglev.pick(client, List.of()).toString();
        for (int i = 0; i < 20; i++) {
            assertEquals(first, maglev.pick(client, List.of()).toString());
        }
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertEquals(maglev.pick(v6, List.of()), maglev.pick(v6, List.of()));
        servers.forEach(s -> s.available = false);
        assertNull(maglev.pick(client, List.of()));
        assertNull(new Maglev<>(SmoothWeightedRoundRobinTest.candidates(0)).pick(client, List.of()));
    }

    private static Map<String, Integer> share(Maglev<FakeCandidate> maglev) {
        Map<String, Integer> share = new HashMap<>();
        for (int slot = 0; slot < maglev.tableSize(); slot++) {
            share.merge(maglev.ownerOf(slot).substring(0, 2), 1, Integer::sum);
        }
        return share;
    }

    private static InetAddress randomAddress(Random random) throws UnknownHostException {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return InetAddress.getByAddress(bytes);
    }
}
