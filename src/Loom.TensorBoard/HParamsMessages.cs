using Google.Protobuf.WellKnownTypes;

namespace Loom.TensorBoard;

/// <summary>
/// The HParams plugin's records (tensorflow/tensorboard plugins/hparams/plugin_data.proto, api.proto,
/// metadata.py): each is a summary value tagged `_hparams_/…` whose metadata names the plugin `hparams`
/// and holds a serialized `HParamsPluginData` (version 0) as content.
/// </summary>
public static class HParamsMessages
{
    public const string PluginName = "hparams";
    public const string ExperimentTag = "_hparams_/experiment";
    public const string SessionStartTag = "_hparams_/session_start_info";
    public const string SessionEndTag = "_hparams_/session_end_info";

    /// <summary>api.proto's Status.</summary>
    public enum Status { Unknown = 0, Success = 1, Failure = 2, Running = 3 }

    /// <summary>api.proto's DataType.</summary>
    public enum DataType { Unset = 0, String = 1, Bool = 2, Float64 = 3 }

    /// <summary>api.proto's DatasetType.</summary>
    public enum DatasetType { Unknown = 0, Training = 1, Validation = 2 }

    // HParamsPluginData: version = 1 (0, so never written), experiment = 2, session_start_info = 3, session_end_info = 4
    const int ExperimentField = 2, SessionStartField = 3, SessionEndField = 4;

    /// <summary>The session start event: the XP's hyper-parameters and when it started.</summary>
    public static byte[] SessionStartEvent(double wallTime, IReadOnlyDictionary<string, object?> hparams, double startTimeSecs)
    {
        // SessionStartInfo { map<string, Value> hparams = 1; ...; double start_time_secs = 5 }; a map entry is { key = 1; value = 2 }
        var info = ProtoWriter.Message(s =>
        {
            foreach (var (key, value) in hparams.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                s.Bytes(1, ProtoWriter.Message(entry => entry.String(1, key).Message(2, HParamValue.From(value))));
            s.Double(5, startTimeSecs);
        });
        return Event(wallTime, SessionStartTag, SessionStartField, info);
    }

    /// <summary>The session end event: SUCCESS or FAILURE and when.</summary>
    public static byte[] SessionEndEvent(double wallTime, Status status, double endTimeSecs) =>
        // SessionEndInfo { Status status = 1; double end_time_secs = 2 }
        Event(wallTime, SessionEndTag, SessionEndField, ProtoWriter.Message(s => s.Varint(1, (int)status).Double(2, endTimeSecs)));

    /// <summary>The experiment summary: each hyper-parameter's type and domain, and the metrics to show.</summary>
    public static byte[] ExperimentEvent(double wallTime, string name, IEnumerable<HParamDomain> hparams, IEnumerable<string> metricTags)
    {
        // Experiment { description = 1; user = 2; time_created_secs = 3; hparam_infos = 4; metric_infos = 5; name = 6 }
        var experiment = ProtoWriter.Message(x =>
        {
            x.Double(3, wallTime);
            foreach (var h in hparams) x.Bytes(4, HParamInfo(h));
            foreach (var tag in metricTags) x.Bytes(5, MetricInfo(tag));
            x.String(6, name);
        });
        return Event(wallTime, ExperimentTag, ExperimentField, experiment);
    }

    // HParamInfo { name = 1; display_name = 2; description = 3; DataType type = 4;
    //              oneof domain { ListValue domain_discrete = 5; Interval domain_interval = 6 }; bool differs = 7 }
    static byte[] HParamInfo(HParamDomain h) => ProtoWriter.Message(p =>
    {
        p.String(1, h.Name).Varint(4, (int)h.Type);
        if (h.Discrete is { } values) p.Message(5, new ListValue { Values = { values } });
        // Interval { double min_value = 1; double max_value = 2 }
        else p.Bytes(6, ProtoWriter.Message(i => i.Double(1, h.Min).Double(2, h.Max)));
        p.Bool(7, h.Differs);
    });

    // MetricInfo { MetricName name = 1; display_name = 3; description = 4; DatasetType dataset_type = 5 };
    // MetricName { group = 1; tag = 2 }: group "" is the session's own run, where the XP writes its scalars.
    static byte[] MetricInfo(string tag) => ProtoWriter.Message(m => m
        .Bytes(1, ProtoWriter.Message(n => n.String(2, tag)))
        .Varint(5, (int)(tag.StartsWith("train/", StringComparison.Ordinal) ? DatasetType.Training
            : tag.StartsWith("valid/", StringComparison.Ordinal) ? DatasetType.Validation : DatasetType.Unknown)));

    static byte[] Event(double wallTime, string tag, int dataField, byte[] data) =>
        EventMessages.PluginEvent(wallTime, 0, tag, PluginName, ProtoWriter.Message(d => d.Bytes(dataField, data)));
}
