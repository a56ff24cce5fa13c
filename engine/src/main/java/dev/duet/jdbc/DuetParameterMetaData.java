package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.util.List;

/** The parameters of a prepared statement, with the types the planner inferred for them; all are IN and nullable. */
final class DuetParameterMetaData implements ParameterMetaData {
    private final List<DataType> types;

    DuetParameterMetaData(List<DataType> types) {
        this.types = List.copyOf(types);
    }

    private DataType type(int param) throws SQLException {
        if (param < 1 || param > types.size()) {
            throw error(SqlState.INVALID_PARAMETER_VALUE,
                    "parameter index %d is out of range (the statement has %d parameters)", param, types.size());
        }
        return types.get(param - 1);
    }

    @Override
    public int getParameterCount() {
        return types.size();
    }

    @Override
    public int isNullable(int param) throws SQLException {
        type(param);
        return parameterNullable;
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        return JdbcTypes.isNumeric(type(param));
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        return JdbcTypes.precision(type(param));
    }

    @Override
    public int getScale(int param) throws SQLException {
        return JdbcTypes.scale(type(param));
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        return JdbcTypes.sqlType(type(param));
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        return JdbcTypes.typeName(type(param));
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        return JdbcTypes.javaClassName(type(param));
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        type(param);
        return parameterModeIn;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcErrors.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
