using Lineage.Silo.Hosting;

// Everything the silo is made of is assembled in SiloApplication so that tests can start the same silo in-process.
var app = SiloApplication.Create(args);
await app.RunAsync();
