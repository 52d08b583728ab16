package io.share4v.jobs.shard;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Everything the sharding job ships through Kryo, so it runs with {@code spark.kryo.registrationRequired=true}
 * (an unregistered class then fails loudly instead of silently writing its full name into every record).
 * Spark SQL returns schema {@code DataType}s through the task-result serializer, so the types the shard
 * and ledger schemas use are registered too (reading Parquet failed with "Class is not registered:
 * org.apache.spark.sql.types.ArrayType" until ArrayType and BinaryType$ were).
 */
public final class ShardKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ProcessedRecord.class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(long[][].class);
        kryo.register(byte[].class);
        kryo.register(byte[][].class);
        kryo.register(Object[].class);
        kryo.register(String[].class);
        kryo.register(java.util.ArrayList.class);
        kryo.register(java.util.HashMap.class);
        for (String name : new String[] {
            "org.apache.spark.sql.types.StructType",
            "[Lorg.apache.spark.sql.types.StructField;",
            "org.apache.spark.sql.types.StructField",
            "org.apache.spark.sql.types.Metadata",
            "org.apache.spark.sql.types.ArrayType",
            "org.apache.spark.sql.types.StringType",
            "org.apache.spark.sql.types.StringType$",
            "org.apache.spark.sql.types.IntegerType$",
            "org.apache.spark.sql.types.LongType$",
            "org.apache.spark.sql.types.BooleanType$",
            "org.apache.spark.sql.types.BinaryType$",
            "org.apache.spark.sql.catalyst.InternalRow",
            "[Lorg.apache.spark.sql.catalyst.InternalRow;",
            "org.apache.spark.sql.catalyst.expressions.UnsafeRow",
            "[Lorg.apache.spark.sql.catalyst.expressions.UnsafeRow;",
            "org.apache.spark.sql.catalyst.expressions.GenericInternalRow",
            "org.apache.spark.sql.execution.datasources.WriteTaskResult",
            "org.apache.spark.sql.execution.datasources.BasicWriteTaskStats",
            "org.apache.spark.sql.execution.datasources.ExecutedWriteSummary",
            "org.apache.spark.internal.io.FileCommitProtocol$TaskCommitMessage",
            "scala.collection.immutable.Set$EmptySet$",
            "scala.collection.immutable.Map$EmptyMap$",
            "scala.collection.mutable.ArrayBuffer",
            "scala.collection.immutable.ArraySeq$ofRef",
            "scala.math.Ordering$Reverse",
            "scala.reflect.ClassTag$GenericClassTag",
        }) {
            register(kryo, name);
        }
    }

    private static void register(Kryo kryo, String className) {
        try {
            kryo.register(Class.forName(
                    className,
                    false,
                    Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader()
                            : ShardKryoRegistrator.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            // Internal Spark class names move between versions; a missing one only matters if it is shipped,
            // and then registrationRequired names it.
        }
    }
}
