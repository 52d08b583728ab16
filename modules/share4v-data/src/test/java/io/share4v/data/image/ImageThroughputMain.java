package io.share4v.data.image;

/**
 * Rough single-thread throughput of decode + CLIP preprocessing on a 640x427 JPEG fixture. Not a test (no timed
 * assertions): run by hand with the test classpath, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.share4v.data.image.ImageThroughputMain}.
 */
public final class ImageThroughputMain {
    public static void main(String[] args) throws Exception {
        byte[] jpeg = Fixtures.bytes("jpeg_420_640x427.jpg");
        ImageDecoder decoder = new ImageDecoder();
        for (AspectMode mode : AspectMode.values()) {
            ClipImageProcessor p = new ClipImageProcessor(ClipImageProcessor.Config.clip336(mode));
            double sink = 0;
            for (int i = 0; i < 100; i++) { // warm-up
                sink += p.preprocess(decoder.decode(jpeg, "bench"))[i];
            }
            int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
            long decodeNs = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long d0 = System.nanoTime();
                RgbImage img = decoder.decode(jpeg, "bench");
                decodeNs += System.nanoTime() - d0;
                sink += p.preprocess(img)[i % 1000];
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "%s: %.1f images/s decode+preprocess (decode %.2f ms, preprocess %.2f ms per image)"
                            + " [sink %.1f]%n",
                    mode, n / secs, decodeNs / 1e6 / n, (secs * 1e9 - decodeNs) / 1e6 / n, sink);
        }
    }
}
