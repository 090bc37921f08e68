#pragma once

#include "hub/HttpBackend.h"

#include <QObject>
#include <QPointer>

#include <map>

class QNetworkAccessManager;
class QNetworkReply;

namespace vibeml::net {

// HttpBackend over Qt Network: one QNetworkAccessManager, redirects left to the caller, a
// transfer timeout, and the size cap enforced while the answer arrives.
class QtHttpBackend final : public QObject, public hub::HttpBackend
{
    Q_OBJECT

public:
    explicit QtHttpBackend(QObject *parent = nullptr);
    ~QtHttpBackend() override;

    ExchangeId start(const hub::HttpExchange &exchange, Done done) override;
    void abort(ExchangeId id) override;

private:
    struct Pending
    {
        QPointer<QNetworkReply> reply;
        Done done;
        qint64 maxBytes = 0;
        bool tooLarge = false;
    };
    void finish(ExchangeId id);

    QNetworkAccessManager *m_network;
    std::map<ExchangeId, Pending> m_pending;
    ExchangeId m_nextId = 1;
};

} // namespace vibeml::net
