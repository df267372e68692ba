package io.jpair.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;

/**
 * A {@link DynamicMBean} of read-only {@code long} attributes whose names are counter names as
 * they are (e.g. {@code packetsRead}, {@code ip.drop.BAD_CHECKSUM}): an MXBean would capitalise
 * them ({@code PacketsRead}) and could not hold a dot. {@link #getAttributes} reads one snapshot
 * for all the attributes asked for.
 */
abstract class ReadOnlyCounterBean implements DynamicMBean {
    private final MBeanInfo info;

    /**
     * @param className the class the JMX client shows
     * @param description what the bean counts
     * @param names attribute names, in display order
     * @param descriptions one description per name
     */
    ReadOnlyCounterBean(String className, String description, List<String> names, List<String> descriptions) {
        MBeanAttributeInfo[] attributes = new MBeanAttributeInfo[names.size()];
        for (int i = 0; i < attributes.length; i++) {
            attributes[i] = new MBeanAttributeInfo(names.get(i), long.class.getName(), descriptions.get(i), true, false,
                false);
        }
        this.info = new MBeanInfo(className, description, attributes, null, null, null);
    }

    /**
     * Every counter now, as one snapshot.
     *
     * @return names to values
     */
    abstract Map<String, Long> snapshot();

    @Override
    public final Object getAttribute(String attribute) throws AttributeNotFoundException {
        Long value = snapshot().get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException("no counter named '" + attribute + "' in " + info.getClassName()
                + "; counters: " + Arrays.stream(info.getAttributes()).map(MBeanAttributeInfo::getName).toList());
        }
        return value;
    }

    @Override
    public final AttributeList getAttributes(String[] attributes) {
        Map<String, Long> values = snapshot();
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            Long value = values.get(name);
            if (value != null) {
                list.add(new Attribute(name, value));
            }
        }
        return list;
    }

    @Override
    public final void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("counters are read-only: " + attribute.getName());
    }

    @Override
    public final AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public final Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
            "counters have no operations: " + actionName);
    }

    @Override
    public final MBeanInfo getMBeanInfo() {
        return info;
    }
}
