package io.share4v.jobs.shard;

import io.share4v.data.shard.ShardSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Spark schemas of a shard row and a ledger line, and the conversions into them. */
final class ShardRows {
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ShardSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(ShardSchema.DATASET, DataTypes.StringType, false),
        DataTypes.createStructField(ShardSchema.RECORD_INDEX, DataTypes.LongType, false),
        DataTypes.createStructField(ShardSchema.ORDER, DataTypes.LongType, false),
        DataTypes.createStructField(ShardSchema.TEMPLATE, DataTypes.StringType, false),
        DataTypes.createStructField(ShardSchema.ASPECT, DataTypes.StringType, false),
        DataTypes.createStructField(
                ShardSchema.INPUT_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField(ShardSchema.LABELS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField(ShardSchema.N_TOKENS, DataTypes.IntegerType, false),
        DataTypes.createStructField(ShardSchema.HAS_IMAGE, DataTypes.BooleanType, false),
        DataTypes.createStructField(ShardSchema.IMAGE, DataTypes.BinaryType, true),
        DataTypes.createStructField(ShardSchema.IMAGE_PATH, DataTypes.StringType, true),
        DataTypes.createStructField(ShardSchema.WIDTH, DataTypes.IntegerType, true),
        DataTypes.createStructField(ShardSchema.HEIGHT, DataTypes.IntegerType, true),
        DataTypes.createStructField(ShardSchema.MISMATCH, DataTypes.BooleanType, false),
    });

    /** Ledger line; {@code dataset_index} only sorts the ledger and is dropped before writing. */
    static final StructType REJECT_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("dataset", DataTypes.StringType, false),
        DataTypes.createStructField("dataset_index", DataTypes.IntegerType, false),
        DataTypes.createStructField("record_index", DataTypes.LongType, false),
        DataTypes.createStructField("id", DataTypes.StringType, true),
        DataTypes.createStructField("reason", DataTypes.StringType, false),
        DataTypes.createStructField("detail", DataTypes.StringType, true),
    });

    private ShardRows() {}

    static Row toRow(long order, ProcessedRecord r, String[] names, String[] templates, String[] aspects) {
        return RowFactory.create(
                r.id,
                names[r.dataset],
                r.recordIndex,
                order,
                templates[r.dataset],
                aspects[r.dataset],
                r.inputIds,
                r.labels,
                r.nTokens,
                r.hasImage,
                r.image,
                r.imagePath,
                r.hasImage ? r.width : null,
                r.hasImage ? r.height : null,
                r.mismatch);
    }

    static Row toRejectRow(ProcessedRecord r, String[] names) {
        return RowFactory.create(names[r.dataset], r.dataset, r.recordIndex, r.id, r.reason, r.detail);
    }
}
