// The network module (libvibeml-network.so): Qt Network, with the Kerberos and proxy libraries
// it brings, and the HttpBackend built on it. The window loads it after its first paint; a
// command loads it before its first request.

#include "hub/HttpBackend.h"
#include "net/QtHttpBackend.h"

#include <QObject>

namespace vibeml::net {

class QtNetworkModule : public QObject, public hub::NetworkModule
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID VibeMLNetworkModule_iid)
    Q_INTERFACES(vibeml::hub::NetworkModule)

public:
    std::unique_ptr<hub::HttpBackend> createHttpBackend() const override { return std::make_unique<QtHttpBackend>(); }
};

} // namespace vibeml::net

#include "NetworkModule.moc"
