package io.share4v.jobs.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;

/** The json.load-style alternative the pre-pass avoids: parse the whole array into one tree. */
public final class NaiveLoadMain {
    private NaiveLoadMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println(
                "elements=" + new ObjectMapper().readTree(new File(args[0])).size());
    }
}
