namespace OpenKbs.Aws.IoT;

/// <summary>The endpoint types of <see cref="IIotClient.DescribeEndpointAsync"/> the operator asks for.</summary>
public static class IotEndpointTypes
{
    /// <summary>The MQTT data endpoint with ATS-signed certificates (the legacy <c>iot:Data</c> type uses a Symantec CA).</summary>
    public const string DataAts = "iot:Data-ATS";
}
