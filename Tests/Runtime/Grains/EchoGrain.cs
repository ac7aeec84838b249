using Lineage.Runtime;

namespace Lineage.Tests.Runtime.Grains;

public interface IEchoGrain : IGrainWithStringKey
{
    Task<string> Echo(string text);

    Task<string> EchoThrough(string other, string text);

    [OneWay]
    Task Notify(string text);

    Task<string[]> GetNotifications();
}

public sealed class EchoGrain : Grain, IEchoGrain
{
    private readonly List<string> _notifications = [];

    public Task<string> Echo(string text) => Task.FromResult(text);

    public Task<string> EchoThrough(string other, string text) => GrainFactory.GetGrain<IEchoGrain>(other).Echo(text);

    public Task Notify(string text)
    {
        _notifications.Add(text);
        return Task.CompletedTask;
    }

    public Task<string[]> GetNotifications() => Task.FromResult(_notifications.ToArray());
}
